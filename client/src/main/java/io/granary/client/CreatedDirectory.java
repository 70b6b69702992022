package io.granary.client;

import io.granary.common.meta.FileMeta;
/**
 * What a mkdir answered.
 *
 * @param directory the directory, new or already there
 * @param created   whether this call created it
 */
public record CreatedDirectory(FileMeta directory, boolean created) {
}
