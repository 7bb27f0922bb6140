package io.github.unet3p.fiji.updatesite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.Module;

import io.github.unet3p.fiji.command.UNet3pCommand;

/**
 * What a Fiji user's session does, as a main class started inside a Fiji-shaped installation
 * ({@code fiji --headless --main-class=...}; see {@code FijiInstallationIT}): one SciJava
 * {@link Context} over whatever jars Fiji's class path holds, then the pipeline through
 * {@link CommandService}, each command found by its menu label and given its macro keys as text
 * (SciJava converts them, as it does for a macro): Synthetic CT → Preprocess → Train (1 epoch,
 * tiny) → Segment Files → Export → Segment Files on ONNX Runtime → Evaluate. Prints one line per command and {@value #DONE} at the end;
 * exits 1 with the failure's message otherwise.
 *
 * <p>NB: uses nothing from the test class path; it runs where only Fiji's jars are.
 */
public final class FijiSessionMain {

	/** The last line of a successful session. */
	public static final String DONE = "FIJI SESSION DONE";

	private FijiSessionMain() {}

	/** {@code args[0]}: the folder to work in. */
	public static void main(final String... args) {
		final Path work = Path.of(args[0]);
		final Context context = new Context();
		try {
			final CommandService commands = context.service(CommandService.class);
			final String lits = work.resolve("lits").toString(), prepared = work.resolve("prepared").toString(), model = work.resolve("model").toString(),
					labels = work.resolve("labels").toString(), csv = work.resolve("metrics.csv").toString();
			run(commands, "UNet3+ Synthetic CT", "output", lits, "count", "2", "size", "32", "slices", "4", "seed", "3");
			run(commands, "UNet3+ Preprocess", "input", lits, "output", prepared, "size", "32");
			run(commands, "UNet3+ Train", "train", prepared, "validation", prepared, "model", model, "variant", "unet3plus", "backbone", "unet3plus",
					"filters", "2", "classes", "2", "epochs", "1", "batch", "4", "seed", "5");
			run(commands, "UNet3+ Segment Files", "model", model, "input", lits, "output", labels, "batch", "4");
			run(commands, "UNet3+ Export", "model", model);
			run(commands, "UNet3+ Segment Files", "model", model, "input", lits, "output", work.resolve("labels-onnxruntime").toString(), "batch", "4", "engine",
					"onnxruntime");
			run(commands, "UNet3+ Evaluate", "prediction", labels, "truth", lits, "output", csv);
			final List<String> metrics = Files.readAllLines(Path.of(csv));
			System.out.println("metrics.csv: " + metrics.size() + " lines, " + metrics.get(0));
			System.out.println(DONE);
		}
		catch (final Exception | LinkageError e) {
			System.out.println("FIJI SESSION FAILED: " + e);
			e.printStackTrace(System.out);
			context.dispose();
			System.exit(1);
		}
		context.dispose();
		System.exit(0);
	}

	private static void run(final CommandService commands, final String label, final String... keysAndValues)
			throws InterruptedException, ExecutionException, IOException {
		final CommandInfo info = commands.getCommands().stream()
				.filter(c -> c.getMenuPath() != null && c.getMenuPath().getLeaf() != null && label.equals(c.getMenuPath().getLeaf().getName())).findFirst()
				.orElseThrow(() -> new IOException("no command '" + label + "' in this Fiji"));
		final Map<String, Object> inputs = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2)
			inputs.put(keysAndValues[i], keysAndValues[i + 1]);
		final long t0 = System.nanoTime();
		final Module module = commands.run(info, true, inputs).get();
		final Object command = module.getDelegateObject();
		if (command instanceof UNet3pCommand && ((UNet3pCommand) command).failure() != null)
			throw new IOException(label + " failed: " + ((UNet3pCommand) command).failure());
		System.out.printf("%s (%s): %.1f s%n", label, info.getClassName(), (System.nanoTime() - t0) / 1e9);
	}
}
