package io.granary.gateway.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}).
 *
 * @param type     {@code urn:granary:problem:<slug>}, stable for programs to branch on
 * @param title    short summary of the problem type
 * @param status   the HTTP status code
 * @param detail   what went wrong this time, for a human
 * @param instance the request path, when known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {
    public static final String CONTENT_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:granary:problem:";

    public static Problem of(int status, String slug, String title, String detail, String instance) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail, instance);
    }
}
