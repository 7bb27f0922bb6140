/**
 * Reliability tests: malformed inputs, broken model bundles, bad keys and file-system failures,
 * each run through the launcher ({@code --headless --run}) as a user runs it; the kill/resume
 * script's checker ({@link io.github.unet3p.reliability.KillCheck}) and its gated JUnit runner.
 * May use everything in {@code io.github.unet3p}.
 */
package io.github.unet3p.reliability;
