package io.github.unet3p.fiji.command;

import java.io.File;
import java.util.List;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.unet3p.core.metrics.CaseMetrics;
import io.github.unet3p.core.metrics.CasePairing;
import io.github.unet3p.core.metrics.GlobalMetrics;
import io.github.unet3p.core.metrics.LabelRule;
import io.github.unet3p.core.metrics.LitsEvaluator;
import io.github.unet3p.core.metrics.MetricsCsv;
import io.github.unet3p.core.metrics.MetricsText;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.fiji.io.VolumeFiles;

/**
 * {@code UNet3+ Evaluate}: LiTS metrics (Dice, VOE, RVD, ASSD, MSSD, HD95) of predicted label
 * volumes against the truth, per case and overall, written as CSV and shown as a results table.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UNet3+>UNet3+ Evaluate", headless = true)
public class EvaluateCommand extends UNet3pCommand {

	@Parameter(label = "Prediction (file or folder)", style = "both", description = "predicted label volumes (NIfTI)")
	File prediction;

	@Parameter(label = "Truth (file or folder)", style = "both", description = "reference label volumes, e.g. LiTS segmentation-N.nii")
	File truth;

	@Parameter(label = "Metrics CSV (output)", style = "save", description = "case,dice,voe,rvd,assd_mm,mssd_mm,hd95_mm,note then a global row")
	File output;

	@Parameter(label = "Structure", choices = { "liver", "tumour" }, required = false, description = "liver = every non-zero label; tumour = label 2")
	String label = "liver";

	@Override
	protected String title() {
		return "UNet3+ Evaluate";
	}

	@Override
	protected void execute() throws Exception {
		final LabelRule rule = LabelRule.parse(label);
		final List<CasePairing.Pair> pairs = CasePairing.pair(prediction.toPath(), truth.toPath());
		final ProgressListener progress = progress();
		final GlobalMetrics all = new GlobalMetrics();
		for (int i = 0; i < pairs.size(); i++) {
			cancellation().check("Evaluation");
			final CasePairing.Pair pair = pairs.get(i);
			progress.progress("Evaluating " + pair.name(), i, pairs.size());
			final Volume p = VolumeFiles.read(pair.prediction());
			final Volume t = VolumeFiles.read(pair.truth());
			final CaseMetrics m = LitsEvaluator.evaluate(p, pair.prediction().toString(), t, pair.truth().toString(), rule, cancellation(), ProgressListener.NONE);
			all.add(pair.name(), m);
			progress.message(MetricsText.line(pair.name(), m));
		}
		progress.progress("Evaluating", pairs.size(), pairs.size());
		MetricsCsv.write(output.toPath(), all);
		ResultsTables.show(all, ui);
		progress.message(MetricsText.global(all));
		progress.message("Metrics written to " + output);
	}
}
