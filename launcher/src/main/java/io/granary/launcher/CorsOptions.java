package io.granary.launcher;

import io.granary.gateway.http.CorsSettings;
import io.granary.launcher.cli.DurationConverter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The CORS flags of the commands that run a gateway ({@code gateway}, {@code local}). */
final class CorsOptions {

    @Option(names = "--cors-origins", paramLabel = "ORIGIN[,ORIGIN...]", defaultValue = "${env:GRANARY_CORS_ORIGINS}",
            description = "Origins of web pages whose scripts may call the HTTP API (https://app.example.com), "
                    + "or * for any; none by default, which keeps CORS off.")
    String origins;

    @Option(names = "--cors-methods", paramLabel = "METHOD[,METHOD...]",
            defaultValue = "${env:GRANARY_CORS_METHODS:-" + CorsSettings.DEFAULT_METHODS_TEXT + "}",
            description = "Methods those pages may use (default: ${DEFAULT-VALUE}).")
    String methods;

    @Option(names = "--cors-headers", paramLabel = "HEADER[,HEADER...]",
            defaultValue = "${env:GRANARY_CORS_HEADERS:-" + CorsSettings.DEFAULT_HEADERS_TEXT + "}",
            description = "Request headers those pages may send (default: ${DEFAULT-VALUE}).")
    String headers;

    @Option(names = "--cors-max-age", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:GRANARY_CORS_MAX_AGE:-" + CorsSettings.DEFAULT_MAX_AGE_TEXT + "}",
            description = "How long a browser may keep a preflight's answer (default: ${DEFAULT-VALUE}).")
    Duration maxAge;

    /** The settings; validated. */
    CorsSettings toSettings() {
        return new CorsSettings(CorsSettings.split(origins), CorsSettings.split(methods), CorsSettings.split(headers),
                maxAge);
    }
}
