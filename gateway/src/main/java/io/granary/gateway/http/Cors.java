package io.granary.gateway.http;

import io.javalin.config.JavalinConfig;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlets.CrossOriginFilter;

/**
 * Puts Jetty's {@link CrossOriginFilter} in front of the HTTP API when {@link CorsSettings} allow any
 * origin. It runs before Javalin, so a preflight ({@code OPTIONS} with {@code Access-Control-Request-Method})
 * from an allowed origin is answered there, before request tracing, throttling and authentication,
 * which it could not pass: a browser sends no {@code Authorization} with it. Every other request goes
 * on to them unchanged, with the CORS headers added to its answer when its origin is allowed; an origin
 * that is not allowed gets no CORS header at all, so its scripts cannot read the answer.
 */
public final class Cors {
    private Cors() {
    }

    /** Installs the filter on the gateway's servlet context; nothing when CORS is off. */
    public static void install(JavalinConfig cfg, CorsSettings settings) {
        if (!settings.enabled()) {
            return;
        }
        cfg.jetty.modifyServletContextHandler(context -> {
            FilterHolder filter = new FilterHolder(CrossOriginFilter.class);
            filter.setName("cors");
            filter.setInitParameter(CrossOriginFilter.ALLOWED_ORIGINS_PARAM, String.join(",", settings.allowedOrigins()));
            filter.setInitParameter(CrossOriginFilter.ALLOWED_METHODS_PARAM, String.join(",", settings.allowedMethods()));
            filter.setInitParameter(CrossOriginFilter.ALLOWED_HEADERS_PARAM, String.join(",", settings.allowedHeaders()));
            filter.setInitParameter(CrossOriginFilter.EXPOSED_HEADERS_PARAM, String.join(",", CorsSettings.EXPOSED_HEADERS));
            filter.setInitParameter(CrossOriginFilter.PREFLIGHT_MAX_AGE_PARAM, Long.toString(settings.maxAge().toSeconds()));
            filter.setInitParameter(CrossOriginFilter.ALLOW_CREDENTIALS_PARAM, "false");
            filter.setInitParameter(CrossOriginFilter.CHAIN_PREFLIGHT_PARAM, "false");
            context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        });
    }
}
