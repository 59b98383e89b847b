/** The balancer's decisions over plain values: backend sets, the choice of a backend, limits and retries. */
package dev.kos.lb.core;
