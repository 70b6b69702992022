package io.granary.common.meta;

/** Whether a namespace entry is a file or a directory. */
public enum EntryType {
    FILE,
    DIRECTORY
}
