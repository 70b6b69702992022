/**
 * The master's own metadata records (uploads, allocations, committed chunks; files, chunks and
 * directory pages are the shared records of {@code io.granary.common.meta}), the bounds a file's
 * layout must keep ({@link io.granary.master.model.FileLimits}), and the contract of the durable store
 * that keeps them ({@link io.granary.master.model.MetadataStore}). Depends on no other master package.
 */
package io.granary.master.model;
