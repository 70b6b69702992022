package io.granary.client;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;

/**
 * An upload whose commit could not be settled: the master answered neither the repeated commit nor the
 * abandon, so the file may or may not have been committed. Kind {@link ErrorKind#DEADLINE_EXCEEDED};
 * the gateway answers it 504 with the problem type {@code upload-outcome-unknown}. The caller finds out
 * by reading the path once the cluster answers again; the upload cannot become visible later than that,
 * since a commit reaching the metadata store after its deadline is refused.
 */
public final class UploadOutcomeUnknownException extends GranaryException {
    private static final long serialVersionUID = 1L;

    /** The problem type's last part: {@code urn:granary:problem:upload-outcome-unknown}. */
    public static final String PROBLEM_SLUG = "upload-outcome-unknown";

    UploadOutcomeUnknownException(String message, Throwable cause) {
        super(ErrorKind.DEADLINE_EXCEEDED, message, cause);
    }
}
