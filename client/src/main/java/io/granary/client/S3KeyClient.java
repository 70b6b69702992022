package io.granary.client;

import io.granary.common.Actor;
import io.granary.common.grpc.MasterRetry;
import io.granary.proto.AuthServiceGrpc;
import io.granary.proto.AuthServiceGrpc.AuthServiceBlockingStub;
import io.granary.proto.CreateS3KeyRequest;
import io.granary.proto.CreateS3KeyResponse;
import io.granary.proto.ListS3KeysRequest;
import io.granary.proto.ResolveS3KeyRequest;
import io.granary.proto.ResolveS3KeyResponse;
import io.granary.proto.RevokeS3KeyRequest;
import io.granary.proto.S3KeyInfo;
import io.grpc.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The master's S3 keys: credentials for AWS Signature V4, each belonging to a token and acting exactly
 * as it. Blocking calls under the metadata deadline, failures as {@link io.granary.common.GranaryException}s
 * (INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED, UNAVAILABLE). Nothing is cached, so a
 * revocation counts at the next {@link #resolve}. Thread-safe.
 */
public final class S3KeyClient {
    private final AuthServiceBlockingStub stub;
    private final Duration deadline;
    private final MasterRetry retry;

    S3KeyClient(Channel channel, Duration deadline, MasterRetry retry) {
        this.stub = AuthServiceGrpc.newBlockingStub(channel);
        this.deadline = deadline;
        this.retry = retry;
    }

    /**
     * Gives the live token {@code tokenId} an S3 key. The secret key is in this answer only (no listing
     * shows it). Creating the same pair for the same token again answers the existing key.
     *
     * @param accessKeyId 16 to 128 characters of {@code A-Za-z0-9}; null to generate one
     * @param secretKey   16 to 128 printable ASCII characters without spaces; null to generate one
     * @throws io.granary.common.GranaryException INVALID_ARGUMENT for a malformed id or secret key,
     *         NOT_FOUND when the token is unknown, revoked or expired, ALREADY_EXISTS when the access key
     *         id exists with another token or secret key
     */
    public NewS3Key create(String tokenId, String accessKeyId, String secretKey) {
        return create(tokenId, accessKeyId, secretKey, Actor.SYSTEM);
    }

    /** {@link #create(String, String, String)} on behalf of {@code actor}, who the audit log names. */
    public NewS3Key create(String tokenId, String accessKeyId, String secretKey, Actor actor) {
        CreateS3KeyRequest.Builder request = CreateS3KeyRequest.newBuilder()
                .setTokenId(tokenId == null ? "" : tokenId)
                .setAccessKeyId(accessKeyId == null ? "" : accessKeyId)
                .setSecretKey(secretKey == null ? "" : secretKey);
        ClientProtos.toProto(actor).ifPresent(request::setActor);
        CreateS3KeyResponse answer = write(s -> s.createS3Key(request.build()));
        return new NewS3Key(toMeta(answer.getInfo()), answer.getSecretKey());
    }

    /**
     * The keys of {@code tokenId} (every key when null or empty), oldest first, without secret keys. A
     * client holding a token other than an admin's sees only its own token's keys (null or empty for them).
     */
    public List<S3KeyMeta> list(String tokenId) {
        return list(tokenId, Actor.SYSTEM);
    }

    /** {@link #list(String)} on behalf of {@code actor}: a principal other than an admin sees only its own keys. */
    public List<S3KeyMeta> list(String tokenId, Actor actor) {
        ListS3KeysRequest.Builder request = ListS3KeysRequest.newBuilder().setTokenId(tokenId == null ? "" : tokenId);
        ClientProtos.toProto(actor).ifPresent(request::setActor);
        return read(s -> s.listS3Keys(request.build())).getKeysList().stream().map(S3KeyClient::toMeta).toList();
    }

    /**
     * Deletes a key; gateways refuse it within a second (they keep a found key that long). NOT_FOUND when
     * no key has this access key id.
     */
    public void revoke(String accessKeyId) {
        revoke(accessKeyId, "");
    }

    /**
     * Deletes a key of {@code tokenId} only, checked by the master in the same step as the deletion.
     *
     * @throws io.granary.common.GranaryException NOT_FOUND when no key has this access key id,
     *         PERMISSION_DENIED (nothing deleted) when it belongs to another token
     */
    public void revoke(String accessKeyId, String tokenId) {
        revoke(accessKeyId, tokenId, Actor.SYSTEM);
    }

    /** {@link #revoke(String, String)} on behalf of {@code actor}, who the audit log names. */
    public void revoke(String accessKeyId, String tokenId, Actor actor) {
        RevokeS3KeyRequest.Builder request = RevokeS3KeyRequest.newBuilder().setAccessKeyId(accessKeyId)
                .setTokenId(tokenId == null ? "" : tokenId);
        ClientProtos.toProto(actor).ifPresent(request::setActor);
        write(s -> s.revokeS3Key(request.build()));
    }

    /**
     * The live key with this access key id, with its secret key and its token; empty when the key is
     * unknown or revoked, or its token revoked or expired. Asks the master every time.
     */
    public Optional<S3Credential> resolve(String accessKeyId) {
        ResolveS3KeyResponse answer = read(s -> s.resolveS3Key(ResolveS3KeyRequest.newBuilder()
                .setAccessKeyId(accessKeyId).build()));
        return answer.getFound()
                ? Optional.of(new S3Credential(accessKeyId, answer.getSecretKey(), AuthCalls.toMeta(answer.getToken())))
                : Optional.empty();
    }

    private static S3KeyMeta toMeta(S3KeyInfo k) {
        return new S3KeyMeta(k.getAccessKeyId(), k.getTokenId(), Instant.ofEpochMilli(k.getCreatedMs()));
    }

    private <T> T read(Function<AuthServiceBlockingStub, T> rpc) {
        return retry.call(stub, deadline, true, rpc);
    }

    private <T> T write(Function<AuthServiceBlockingStub, T> rpc) {
        return retry.call(stub, deadline, false, rpc);
    }
}
