package io.granary.gateway.routes;

import io.granary.common.GranaryException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.jakarta.servlet5.JakartaServletFileUpload;

/**
 * Finds the {@value #FILE_FIELD} field of a {@code multipart/form-data} upload and hands out its
 * content as a stream straight off the request: no part is buffered in memory or on disk (the
 * servlet container's own multipart support would spool it to a temporary file first).
 */
final class FormUploads {
    static final String FILE_FIELD = "file";

    private final int maxFields;
    private final long maxFieldBytes;

    /**
     * @param maxFields     fields allowed before the file field (a flood of tiny fields is refused)
     * @param maxFieldBytes bytes each of those fields may have; the file field is not capped
     */
    FormUploads(int maxFields, long maxFieldBytes) {
        this.maxFields = maxFields;
        this.maxFieldBytes = maxFieldBytes;
    }

    /** The file field: its bytes (valid until the request ends), its declared type and file name. */
    record FilePart(InputStream content, String contentType, String fileName) {
    }

    /**
     * The file field of the request's form; fields before it are skipped as they stream past.
     *
     * @throws GranaryException INVALID_ARGUMENT when the body is not a form, is malformed, or has no file field
     */
    FilePart filePart(HttpServletRequest request) {
        if (!JakartaServletFileUpload.isMultipartContent(request)) {
            throw GranaryException.invalid("POST needs a multipart/form-data body with a '" + FILE_FIELD
                    + "' field; send raw bytes with PUT");
        }
        try {
            FileItemInputIterator items = new JakartaServletFileUpload<DiskFileItem, DiskFileItemFactory>()
                    .getItemIterator(request);
            for (int fields = 0; items.hasNext(); fields++) {
                FileItemInput item = items.next();
                if (FILE_FIELD.equals(item.getFieldName())) {
                    return new FilePart(item.getInputStream(), item.getContentType(), item.getName());
                }
                if (fields >= maxFields) {
                    throw GranaryException.invalid("the form has more than " + maxFields + " fields before its '"
                            + FILE_FIELD + "' field");
                }
                skip(item);
            }
        } catch (IOException e) {
            throw GranaryException.invalid("malformed multipart form: " + e.getMessage());
        }
        throw GranaryException.invalid("the form has no '" + FILE_FIELD + "' field");
    }

    /** Reads past a field that is not the file, refusing one larger than the limit. */
    private void skip(FileItemInput item) throws IOException {
        byte[] buffer = new byte[8192];
        long total = 0;
        try (InputStream in = item.getInputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > maxFieldBytes) {
                    throw GranaryException.invalid("form field '" + item.getFieldName() + "' is larger than "
                            + maxFieldBytes + " bytes");
                }
            }
        }
    }
}
