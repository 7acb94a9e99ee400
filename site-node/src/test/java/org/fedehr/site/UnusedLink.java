package org.fedehr.site;

import org.fedehr.protocol.codec.ParamFrame;
import org.fedehr.protocol.codec.ReplyEnvelope;
import org.fedehr.protocol.msg.RegisterResponse;
import org.fedehr.protocol.msg.TaskInstruction;
import org.fedehr.protocol.stats.FeatureStatistics;

import java.util.Optional;

/** Base of scripted test links: every call a test does not script fails loudly; nothing is counted as sent. */
abstract class UnusedLink implements CoordinatorLink {
    @Override
    public RegisterResponse register(String siteId) throws LinkException {
        throw new UnsupportedOperationException("register");
    }

    @Override
    public Optional<TaskInstruction> nextTask(long afterSeq) throws LinkException {
        throw new UnsupportedOperationException("nextTask");
    }

    @Override
    public ParamFrame model(int version) {
        throw new UnsupportedOperationException("model");
    }

    @Override
    public FeatureStatistics statistics() {
        throw new UnsupportedOperationException("statistics");
    }

    @Override
    public Ack reply(ReplyEnvelope envelope) throws LinkException {
        throw new UnsupportedOperationException("reply");
    }

    @Override
    public long bytesSent() {
        return 0;
    }

    @Override
    public long bytesReceived() {
        return 0;
    }
}
