package org.fedehr.site;

/** The site's own log of what it did: one line per exchange or decision, carrying no patient-level value. */
@FunctionalInterface
public interface SiteListener {
    void event(String siteId, String message);

    SiteListener NONE = (s, m) -> { };
}
