package io.granary.launcher;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar's manifest, so it is never written twice. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Granary.class.getPackage().getImplementationVersion();
        return new String[] {"granary " + (version == null ? "development build" : version)};
    }
}
