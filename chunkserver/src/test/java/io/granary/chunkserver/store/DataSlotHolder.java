package io.granary.chunkserver.store;

import java.nio.file.Path;

/** For {@link DataSlotTest}: claims a slot of {@code args[0]}, prints its name, and holds it until killed. */
final class DataSlotHolder {
    private DataSlotHolder() {
    }

    public static void main(String[] args) throws Exception {
        DataSlot slot = DataSlot.claim(Path.of(args[0]));
        System.out.println(slot.dir().getFileName());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
