/**
 * The SPI between the Lightning rail and the user's own Lightning node: the payer never holds
 * channels itself, it asks a node (LND, Core Lightning) to pay, and asks it again after a crash or
 * a lost response whether a payment happened.
 */
package dev.mpp.rail.lightning.node;
