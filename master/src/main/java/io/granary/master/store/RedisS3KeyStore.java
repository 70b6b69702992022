package io.granary.master.store;

import io.granary.common.Actor;
import io.granary.master.auth.ResolvedS3Key;
import io.granary.master.auth.S3KeyRecord;
import io.granary.master.auth.S3KeyStore;
import io.granary.master.store.LuaScripts.Script;
import io.lettuce.core.KeyValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * {@link S3KeyStore} on Redis: {@code s3key:<access key id>} holds a key's token, secret key and
 * creation time; {@code s3keys} maps every access key id to its token (for listing) and
 * {@code s3keys:<token id>} holds a token's access key ids (for listing them and for deleting them with
 * the token, in {@code token_delete.lua}). Every change and every resolution is one script. Thread-safe.
 */
final class RedisS3KeyStore implements S3KeyStore {
    private final RedisSession session;
    private final LuaScripts scripts;
    private final String prefix;

    RedisS3KeyStore(RedisSession session, LuaScripts scripts, String prefix) {
        this.session = session;
        this.scripts = scripts;
        this.prefix = prefix;
    }

    @Override
    public S3KeyRecord save(S3KeyRecord key, String secretKey, long nowMs, Actor actor) {
        List<Object> reply = scripts.run(Script.S3_KEY_SAVE, actor, key.accessKeyId(), key.tokenId(), secretKey,
                Long.toString(key.createdMs()), Long.toString(nowMs));
        return new S3KeyRecord(key.accessKeyId(), key.tokenId(), Long.parseLong((String) reply.get(0)));
    }

    /** One HMGET per key (never the secret), fine for the handful of keys a cluster has. */
    @Override
    public List<S3KeyRecord> list(String tokenId) {
        Collection<String> ids = tokenId.isEmpty()
                ? session.call(redis -> redis.hkeys(prefix + ":s3keys"))
                : session.call(redis -> redis.smembers(prefix + ":s3keys:" + tokenId));
        List<S3KeyRecord> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            List<KeyValue<String, String>> fields = session.call(redis -> redis.hmget(prefix + ":s3key:" + id,
                    "token", "created"));
            // a key revoked since its id was listed has no fields any more
            if (fields.get(0).hasValue() && fields.get(1).hasValue()) {
                out.add(new S3KeyRecord(id, fields.get(0).getValue(), Long.parseLong(fields.get(1).getValue())));
            }
        }
        return out;
    }

    @Override
    public boolean delete(String accessKeyId, String ownerTokenId, Actor actor) {
        return "1".equals(scripts.run(Script.S3_KEY_DELETE, actor, accessKeyId, ownerTokenId).get(0));
    }

    @Override
    public Optional<ResolvedS3Key> find(String accessKeyId) {
        List<Object> reply = scripts.run(Script.S3_KEY_RESOLVE, accessKeyId);
        if (reply.isEmpty()) {
            return Optional.empty();
        }
        S3KeyRecord key = new S3KeyRecord(accessKeyId, (String) reply.get(0), Long.parseLong((String) reply.get(2)));
        return Optional.of(new ResolvedS3Key(key, (String) reply.get(1),
                RedisTokenStore.record(RedisReplies.pairs((List<?>) reply.get(3)))));
    }
}
