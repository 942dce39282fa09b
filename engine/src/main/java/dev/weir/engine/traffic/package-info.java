/**
 * Traffic routers: how a rollout's canary gets its share of requests. {@link
 * dev.weir.engine.traffic.TrafficRouter} implementations for Gateway API HTTPRoutes, Istio
 * VirtualServices, SMI TrafficSplits, NGINX canary Ingresses and plain replica ratio; each decides
 * purely ({@link dev.weir.engine.traffic.TrafficRouter#plan}) what to write, and the rollout
 * executor applies it through the cluster port.
 */
package dev.weir.engine.traffic;
