/**
 * The namespace's value records, one set for the whole system: a file or directory
 * ({@link io.granary.common.meta.FileMeta}), its chunks and their replicas, directory listings, and
 * multipart uploads with their parts and listings.
 * The master builds them from its store, the client from the master's answers; both convert them to
 * and from the wire in their own proto-conversion class. Immutable, with no behaviour beyond reading.
 */
package io.granary.common.meta;
