package org.fedehr.coordinator;

/** How the coordinator answered a site's reply; {@code httpStatus} is what the HTTP layer sends. */
public record ReplyOutcome(int httpStatus, String code, String message) {
    static ReplyOutcome accepted() {
        return new ReplyOutcome(200, "accepted", "accepted");
    }

    static ReplyOutcome duplicate(String message) {
        return new ReplyOutcome(200, "duplicate", message);
    }

    static ReplyOutcome rejected(int status, String code, String message) {
        return new ReplyOutcome(status, code, message);
    }

    public boolean ok() {
        return httpStatus == 200;
    }
}
