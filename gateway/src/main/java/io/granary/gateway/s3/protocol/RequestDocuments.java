package io.granary.gateway.s3.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the XML bodies S3 requests carry: CompleteMultipartUpload's part list and DeleteObjects' key
 * list. At most {@link #MAX_BYTES} are read; DTDs and external entities are refused, so a body can
 * neither reach a file nor expand itself. Element names are matched without their namespace, as S3
 * does.
 */
public final class RequestDocuments {
    /** Enough for 10,000 parts or 1,000 keys of 1,024 bytes, escaped. */
    public static final int MAX_BYTES = 2 * 1024 * 1024;
    /** DeleteObjects takes at most this many keys, as S3 does. */
    public static final int MAX_DELETE_KEYS = 1000;

    /** One part of a CompleteMultipartUpload body: its number and the ETag its upload answered. */
    public record CompletedPart(int number, String etag) {
    }

    /** A DeleteObjects body: the keys, and whether only failures are reported. */
    public record DeleteRequest(List<String> keys, boolean quiet) {
    }

    private RequestDocuments() {
    }

    /**
     * The parts of a CompleteMultipartUpload body, in the order given.
     *
     * @throws S3Exception MalformedXML for anything else
     */
    public static List<CompletedPart> completedParts(InputStream body) {
        List<CompletedPart> parts = new ArrayList<>();
        read(body, "CompleteMultipartUpload", reader -> {
            if (!"Part".equals(reader.getLocalName())) {
                skip(reader);
                return;
            }
            Integer number = null;
            String etag = null;
            while (reader.nextTag() == XMLStreamConstants.START_ELEMENT) {
                switch (reader.getLocalName()) {
                    case "PartNumber" -> number = partNumber(reader.getElementText());
                    case "ETag" -> etag = reader.getElementText().trim();
                    default -> skip(reader);
                }
            }
            if (number == null || etag == null) {
                throw malformed("each Part needs a PartNumber and an ETag");
            }
            if (parts.size() >= 10_000) {
                throw malformed("a multipart upload has at most 10000 parts");
            }
            parts.add(new CompletedPart(number, etag));
        });
        if (parts.isEmpty()) {
            throw malformed("You must specify at least one part");
        }
        return parts;
    }

    /**
     * The keys of a DeleteObjects body.
     *
     * @throws S3Exception MalformedXML for anything else, or more than {@link #MAX_DELETE_KEYS} keys
     */
    public static DeleteRequest deleteRequest(InputStream body) {
        List<String> keys = new ArrayList<>();
        boolean[] quiet = {false};
        read(body, "Delete", reader -> {
            switch (reader.getLocalName()) {
                case "Quiet" -> quiet[0] = Boolean.parseBoolean(reader.getElementText().trim());
                case "Object" -> {
                    String key = null;
                    while (reader.nextTag() == XMLStreamConstants.START_ELEMENT) {
                        if ("Key".equals(reader.getLocalName())) {
                            key = reader.getElementText();
                        } else {
                            skip(reader);
                        }
                    }
                    if (key == null) {
                        throw malformed("each Object needs a Key");
                    }
                    if (keys.size() >= MAX_DELETE_KEYS) {
                        throw malformed("DeleteObjects takes at most " + MAX_DELETE_KEYS + " keys");
                    }
                    keys.add(key);
                }
                default -> skip(reader);
            }
        });
        if (keys.isEmpty()) {
            throw malformed("a Delete request names at least one Object");
        }
        return new DeleteRequest(List.copyOf(keys), quiet[0]);
    }

    private interface ChildHandler {
        void child(XMLStreamReader reader) throws XMLStreamException;
    }

    private static void read(InputStream body, String root, ChildHandler children) {
        XMLStreamReader reader = null;
        BoundedStream bounded = new BoundedStream(body, MAX_BYTES);
        try {
            reader = factory().createXMLStreamReader(bounded);
            if (reader.nextTag() != XMLStreamConstants.START_ELEMENT || !root.equals(reader.getLocalName())) {
                throw malformed("the body must be a " + root + " document");
            }
            while (reader.nextTag() == XMLStreamConstants.START_ELEMENT) {
                children.child(reader);
            }
            // to its end, so that the checks a body makes at its end (Content-MD5, a checksum) are made
            bounded.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            if (e.getCause() instanceof S3Exception s3) {
                throw s3; // the body was too large
            }
            throw malformed("the request body could not be read to its end: " + e.getMessage());
        } catch (XMLStreamException e) {
            Throwable nested = e.getNestedException();
            if (nested != null && nested.getCause() instanceof S3Exception s3) {
                throw s3; // the body was too large
            }
            throw malformed("The XML you provided was not well-formed or did not validate against our "
                    + "published schema");
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release beyond the parser
                }
            }
        }
    }

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        return factory;
    }

    private static void skip(XMLStreamReader reader) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    private static int partNumber(String text) {
        try {
            int number = Integer.parseInt(text.trim());
            if (number >= 1 && number <= 10_000) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Part number must be an integer between 1 and 10000, "
                + "inclusive, not '" + text.trim() + "'");
    }

    private static S3Exception malformed(String message) {
        return new S3Exception(S3ErrorCode.MALFORMED_XML, message);
    }

    /** Fails, as too large, a body that goes on past its limit. */
    private static final class BoundedStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                left -= n;
                if (left < 0) {
                    throw new IOException(new S3Exception(S3ErrorCode.MALFORMED_XML, "the request's XML body is "
                            + "larger than " + MAX_BYTES + " bytes"));
                }
            }
            return n;
        }
    }
}
