package io.granary.master.auth;

/**
 * An S3 key as listings show it: everything but its secret key.
 *
 * @param accessKeyId the public half of the credential, sent in every signed request
 * @param tokenId     the token it belongs to: a request signed with the key acts as that token
 * @param createdMs   creation time, milliseconds since the epoch
 */
public record S3KeyRecord(String accessKeyId, String tokenId, long createdMs) {
}
