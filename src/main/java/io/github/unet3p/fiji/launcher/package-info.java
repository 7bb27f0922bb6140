/**
 * The {@code ./unet3p} launcher: Fiji's command-line syntax ({@code --run}, {@code -macro}) outside
 * Fiji, on a SciJava context, with exit statuses. {@link io.github.unet3p.fiji.launcher.CommandRunner}
 * runs a command by name with textual options and is shared with the macro bridge. May depend on
 * SciJava, ImageJ 1.x and {@code fiji.command}; nothing in the core depends on it.
 */
package io.github.unet3p.fiji.launcher;
