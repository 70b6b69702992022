/**
 * What the S3 protocol is, apart from any server: its error codes, its XML documents, its key and
 * bucket rules. Nothing here knows Javalin or the Granary client.
 */
package io.granary.gateway.s3.protocol;
