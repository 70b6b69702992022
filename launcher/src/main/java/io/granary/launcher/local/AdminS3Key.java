package io.granary.launcher.local;

import io.granary.client.NewS3Key;
import io.granary.client.S3Credential;
import io.granary.client.S3KeyClient;
import io.granary.client.S3KeyMeta;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.master.auth.Tokens;
import java.util.List;
import java.util.Optional;

/** How {@code local} makes sure its admin principal has an S3 key at every start. */
final class AdminS3Key {
    /**
     * What a start gave the admin.
     *
     * @param accessKeyId the access key id to show: the configured one, the generated one, or the admin's
     *                    oldest key
     * @param generated   a key generated for this data directory that no banner has shown yet
     */
    record Given(String accessKeyId, Optional<LocalS3Key> generated) {
    }

    private AdminS3Key() {
    }

    /**
     * Gives the admin principal its S3 key: the configured one, and one a failed earlier start generated
     * but did not show (both created again, idempotently); else, when the admin has none, a new one,
     * kept on disk before anything else can fail so that a failed first start does not lose it.
     */
    static Given ensure(S3KeyClient keys, String admin, LocalSettings settings) {
        Optional<LocalS3Key> unshown = LocalS3Key.unshown(settings.dataDir());
        unshown.ifPresent(key -> give(keys, admin, key));
        String accessKeyId = null;
        if (!settings.s3AccessKey().isEmpty()) {
            give(keys, admin, new LocalS3Key(settings.s3AccessKey(), settings.s3SecretKey()));
            accessKeyId = settings.s3AccessKey();
        }
        List<S3KeyMeta> admins = keys.list(admin);
        Optional<LocalS3Key> generated = unshown;
        if (admins.isEmpty()) {
            NewS3Key created = keys.create(admin, null, null);
            generated = Optional.of(LocalS3Key.keep(settings.dataDir(),
                    new LocalS3Key(created.meta().accessKeyId(), created.secretKey())));
        }
        if (accessKeyId == null) {
            accessKeyId = generated.map(LocalS3Key::accessKeyId).orElseGet(() -> admins.get(0).accessKeyId());
        }
        return new Given(accessKeyId, generated);
    }

    /**
     * Creates {@code key} for {@code admin}, or finds it there already. A key created for an earlier
     * admin token (GRANARY_ADMIN_TOKEN changed since) with the same secret key still acts as an admin
     * and is kept as it is.
     *
     * @throws IllegalStateException when the access key id exists with another secret key or for a
     *                               token that is not an admin
     */
    private static void give(S3KeyClient keys, String admin, LocalS3Key key) {
        try {
            keys.create(admin, key.accessKeyId(), key.secretKey());
        } catch (GranaryException e) {
            if (e.kind() != ErrorKind.ALREADY_EXISTS) {
                throw e;
            }
            Optional<S3Credential> existing = keys.resolve(key.accessKeyId());
            if (existing.filter(c -> c.secretKey().equals(key.secretKey())
                    && c.token().role().equals(Tokens.ADMIN)).isEmpty()) {
                throw new IllegalStateException("the S3 access key " + key.accessKeyId() + " exists with another "
                        + "secret key or for a token that is not an admin: revoke it (granary s3-key revoke "
                        + key.accessKeyId() + ") or choose another GRANARY_S3_ACCESS_KEY", e);
            }
        }
    }
}
