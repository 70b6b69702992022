/**
 * AWS Signature Version 4 as S3 speaks it, apart from any server: {@link
 * io.granary.gateway.s3.sigv4.SigV4Verifier} checks who signed a request (Authorization header or
 * presigned query), and {@link io.granary.gateway.s3.sigv4.DecodedBody} turns the raw request body
 * into the object's bytes, checking {@code aws-chunked} chunk signatures, trailers, Content-MD5,
 * {@code x-amz-checksum-*} and {@code x-amz-content-sha256} while it streams. Depends on
 * {@code s3.protocol} and the JDK only.
 */
package io.granary.gateway.s3.sigv4;
