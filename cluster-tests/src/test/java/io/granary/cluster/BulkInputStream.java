package io.granary.cluster;

import java.io.IOException;
import java.io.InputStream;

/**
 * An {@link InputStream} whose subclass writes only the bulk {@link #read(byte[], int, int)}: a
 * single-byte read goes through it too, so a body that pauses or fails part-way does so however it is read.
 */
abstract class BulkInputStream extends InputStream {
    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
