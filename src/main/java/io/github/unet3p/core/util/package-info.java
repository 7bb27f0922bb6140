/**
 * Small shared pieces of the core: user errors ({@link io.github.unet3p.core.util.InvalidInputException}),
 * progress and cancellation, atomic file writes, folder locks. Depends on the JDK only; every other core
 * package may use it.
 */
package io.github.unet3p.core.util;
