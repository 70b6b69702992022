package io.granary.launcher.cli;

import io.granary.common.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a client command's duration argument ({@code 15m}, {@code 12h}, {@code 7d}) as {@link Durations} does. */
final class DurationArgument implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
