/**
 * The master's metadata as records (files, chunks, uploads, directory pages), the bounds a file's
 * layout must keep ({@link io.granary.master.model.FileLimits}), and the contract of the durable store
 * that keeps them ({@link io.granary.master.model.MetadataStore}). Depends on no other master package.
 */
package io.granary.master.model;
