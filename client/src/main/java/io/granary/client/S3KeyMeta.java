package io.granary.client;

import java.time.Instant;

/**
 * An S3 key as the master lists it, without its secret key.
 *
 * @param accessKeyId the public half of the credential, sent in every signed request
 * @param tokenId     the token it belongs to: a request signed with it acts as that token
 * @param created     creation time
 */
public record S3KeyMeta(String accessKeyId, String tokenId, Instant created) {
}
