package io.github.unet3p.fiji.launcher;

import java.io.File;
import java.nio.file.Files;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.fiji.command.UNet3pCommand;

/** A test-only command that writes its inputs to a file, or fails on request. */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UNet3+>UNet3+ Test Echo")
public class EchoTestCommand extends UNet3pCommand {

	@Parameter(label = "Output file")
	File output;

	@Parameter(label = "Count", required = false)
	int count = 7;

	@Parameter(label = "Name", required = false)
	String name = "default";

	@Parameter(label = "Mode", choices = { "fast", "slow" }, required = false)
	String mode = "fast";

	@Parameter(label = "Flag", required = false)
	boolean flag;

	@Parameter(label = "Fail with user error", required = false)
	boolean fail;

	@Override
	protected void execute() throws Exception {
		if (fail) throw new InvalidInputException("Echo was asked to fail: " + output);
		Files.writeString(output.toPath(), count + "|" + name + "|" + mode + "|" + flag);
	}
}
