/**
 * BOLT #11 Lightning invoices: a decoder that verifies the payee's signature before anything is
 * paid, and an encoder (used by tests and test doubles) that mints real signed invoices.
 */
package dev.mpp.rail.lightning.bolt11;
