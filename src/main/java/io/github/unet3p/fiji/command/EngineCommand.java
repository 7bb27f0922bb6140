package io.github.unet3p.fiji.command;

import java.util.ArrayList;
import java.util.List;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.unet3p.core.model.EngineInfo;
import io.github.unet3p.core.model.TorchBuild;
import io.github.unet3p.core.model.TorchDownload;
import io.github.unet3p.core.model.TorchEngine;
import io.github.unet3p.core.util.InvalidInputException;

/**
 * {@code UNet3+ Engine}: says which PyTorch build this Fiji loaded (version, flavour, library
 * folder) and every GPU it can use; with {@code fetch=true} downloads DJL's CUDA build once into
 * the plugin's cache; with {@code use=cpu|cuda|<libtorch folder>} saves the build the next start
 * loads (DJL's engine is loaded once per JVM, so a choice applies after a restart).
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UNet3+>UNet3+ Engine", headless = true)
public class EngineCommand extends UNet3pCommand {

	@Parameter(label = "Fetch the CUDA build", required = false,
			description = "download DJL's CUDA build of PyTorch 2.7.1 (several GB, once) into the plugin's cache; needs network and an NVIDIA driver", persist = false)
	boolean fetch = false;

	@Parameter(label = "Build for the next start", required = false,
			description = "empty = keep; cpu = bundled CPU build; cuda = DJL's CUDA build; or the folder of a libtorch (e.g. .../site-packages/torch/lib)", persist = false)
	String use = "";

	@Parameter(label = "Flavour of that folder", required = false, description = "only for a folder whose flavour cannot be read from it: cpu, cu128, …", persist = false)
	String flavor = "";

	@Override
	protected void execute() throws Exception {
		final List<String> lines = new ArrayList<>();
		String notLoaded = null;
		try {
			lines.addAll(EngineInfo.current().lines());
		}
		catch (final InvalidInputException e) {
			notLoaded = e.getMessage();
			lines.add("PyTorch is not loaded: " + notLoaded);
		}
		final TorchBuild.Environment env = TorchBuild.Environment.system();
		final java.nio.file.Path home = TorchBuild.home(env);
		lines.add("Plugin folder (preference, cache): " + home);
		ConsoleText.print(String.join("\n", lines), ui);
		if (fetch) TorchDownload.fetch(home, env.classifier(), TorchDownload.DJL_REPOSITORY, TorchDownload.DriverProbe.system(), progress(), cancellation());
		if (use != null && !use.isBlank()) {
			final TorchBuild next = TorchBuild.savePreference(env, use.trim(), flavor);
			final StringBuilder saved = new StringBuilder("Saved for the next start: " + next.describe().replaceFirst(" \\[.*\\]$", "") + ".");
			saved.append(TorchEngine.loadedBuild().map(b -> " This session keeps " + b.describe().replaceFirst(" \\[.*\\]$", "") + ": DJL loads PyTorch once per JVM; restart Fiji to apply.")
					.orElse(" Restart Fiji to apply."));
			if (env.variables().containsKey(TorchBuild.ENV))
				saved.append(" NB: ").append(TorchBuild.ENV).append("=").append(env.variables().get(TorchBuild.ENV)).append(" is set here and beats the preference.");
			if (next.kind() == TorchBuild.Kind.CUDA && !fetch) try {
				next.requireInstalled();
			}
			catch (final InvalidInputException e) {
				saved.append(" ").append(e.getMessage());
			}
			ConsoleText.print(saved.toString(), ui);
		}
		else if (notLoaded != null && !fetch) throw new InvalidInputException(notLoaded);
	}
}
