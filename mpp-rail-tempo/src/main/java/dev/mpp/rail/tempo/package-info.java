/**
 * The Tempo stablecoin rail: {@link dev.mpp.rail.tempo.TempoChargeRail} pays {@code tempo}/{@code
 * charge} challenges (pull, push, zero-amount proof) byte-compatibly with the reference server
 * {@code mppx}; {@link dev.mpp.rail.tempo.TempoTransaction} is the {@code 0x76} envelope, {@link
 * dev.mpp.rail.tempo.TempoChargeRequest} the validated request and {@link
 * dev.mpp.rail.tempo.TempoConfig} the user's choices (chain, assets, modes, fee limits).
 */
package dev.mpp.rail.tempo;
