package io.granary.gateway.s3.sigv4;

import java.util.zip.Checksum;

/**
 * CRC-64/NVME, the checksum S3 calls {@code CRC64NVME}: reflected, polynomial {@code 0xAD93D23594C93659}
 * ({@code 0x9A6C9329AC4BC9B5} reflected), initial value and final xor all ones. The check value of
 * {@code "123456789"} is {@code 0xAE8B14860A799888}.
 */
final class Crc64Nvme implements Checksum {
    private static final long REFLECTED_POLYNOMIAL = 0x9A6C9329AC4BC9B5L;
    private static final long[] TABLE = table();

    private long crc = -1L;

    private static long[] table() {
        long[] table = new long[256];
        for (int n = 0; n < 256; n++) {
            long value = n;
            for (int bit = 0; bit < 8; bit++) {
                value = (value & 1) != 0 ? value >>> 1 ^ REFLECTED_POLYNOMIAL : value >>> 1;
            }
            table[n] = value;
        }
        return table;
    }

    @Override
    public void update(int b) {
        crc = TABLE[(int) (crc ^ b) & 0xff] ^ crc >>> 8;
    }

    @Override
    public void update(byte[] b, int off, int len) {
        long value = crc;
        for (int i = off; i < off + len; i++) {
            value = TABLE[(int) (value ^ b[i]) & 0xff] ^ value >>> 8;
        }
        crc = value;
    }

    @Override
    public long getValue() {
        return ~crc;
    }

    @Override
    public void reset() {
        crc = -1L;
    }
}
