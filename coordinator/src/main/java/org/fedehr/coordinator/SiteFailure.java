package org.fedehr.coordinator;

/**
 * A site that was asked to take part but did not contribute. {@code reason} is a short class
 * (e.g. "timeout", "site error", "rejected update", "refused") and {@code detail} the specifics, such as the
 * site's exception class or the validation message.
 */
public record SiteFailure(String siteId, String reason, String detail) {
    public SiteFailure {
        if (siteId == null || reason == null) throw new IllegalArgumentException("siteId and reason are required");
    }

    @Override
    public String toString() {
        return siteId + ": " + reason + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
