package dev.weir.sandbox.traffic;

/**
 * A share of requests sent to one Service of the router's namespace.
 *
 * @param service the Service's name
 * @param weight the share, between 0 and 1; a router's shares add up to 1 (or to 0 when nothing
 *     matched)
 */
public record BackendWeight(String service, double weight) {}
