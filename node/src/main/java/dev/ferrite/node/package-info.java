/**
 * The Ferrite node: serves one engine over Aeron UDP, owns the slots the topology gives it, and either
 * answers MOVED or forwards requests for slots it does not own.
 */
package dev.ferrite.node;
