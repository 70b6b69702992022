package io.granary.master.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Periodically drops audit entries past the maximum age. Never throws, so the schedule never stops. */
public final class AuditTrimTask implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(AuditTrimTask.class);

    private final String masterId;
    private final AuditLog audit;

    public AuditTrimTask(String masterId, AuditLog audit) {
        this.masterId = masterId;
        this.audit = audit;
    }

    @Override
    public void run() {
        try {
            long dropped = audit.trim();
            if (dropped > 0) {
                log.info("{}: dropped {} audit entries past their maximum age", masterId, dropped);
            }
        } catch (RuntimeException | Error e) {
            log.warn("{}: trimming the audit log failed, retrying next round: {}", masterId, e.getMessage());
        }
    }
}
