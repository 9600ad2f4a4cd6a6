/**
 * The Ferrite client: routes each request to the node that owns its slot (direct), through any node
 * (proxy), or by following MOVED answers (shard handoff).
 */
package dev.ferrite.client;
