package io.granary.launcher.cli;

import io.granary.common.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations as operators write them: {@code 500ms}, {@code 3s}, {@code 2m}, {@code 1h} ({@link Durations}). */
public class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /**
     * The same, also reading a bare number as seconds: for a flag that took seconds before it took a
     * duration, so that {@code --idle-timeout 30} keeps working.
     */
    public static final class OrSeconds extends DurationConverter {
        @Override
        public Duration convert(String value) {
            String text = value == null ? "" : value.trim();
            return super.convert(text.matches("\\d+") ? text + "s" : text);
        }
    }
}
