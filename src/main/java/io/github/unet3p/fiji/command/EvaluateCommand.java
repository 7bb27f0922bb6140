package io.github.unet3p.fiji.command;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.unet3p.core.infer.Precision;
import io.github.unet3p.core.infer.InferenceKeys;
import io.github.unet3p.core.infer.InferenceSettings;
import io.github.unet3p.core.infer.SliceDiceEvaluator;
import io.github.unet3p.core.infer.TorchProbabilityModel;
import io.github.unet3p.core.infer.BundleModel;
import io.github.unet3p.core.infer.InferenceEngine;
import io.github.unet3p.core.infer.ProbabilityModels;
import io.github.unet3p.core.metrics.CaseMetrics;
import io.github.unet3p.core.metrics.CasePairing;
import io.github.unet3p.core.metrics.GlobalMetrics;
import io.github.unet3p.core.metrics.LabelRule;
import io.github.unet3p.core.metrics.LitsEvaluator;
import io.github.unet3p.core.metrics.MetricsCsv;
import io.github.unet3p.core.metrics.MetricsText;
import io.github.unet3p.core.util.InvalidInputException;
import io.github.unet3p.core.util.ProgressListener;
import io.github.unet3p.core.volume.Volume;
import io.github.unet3p.fiji.io.VolumeFiles;

/**
 * {@code UNet3+ Evaluate}: LiTS metrics (Dice, VOE, RVD, ASSD, MSSD, HD95) of predicted label
 * volumes against the truth, per case and overall, written as CSV and shown as a results table;
 * and/or the seed's own number, the slice-wise seed Dice of a model on prepared slices.
 *
 * <p>Which keys: {@code prediction} + {@code truth} give the LiTS metrics; {@code model} +
 * {@code data} give the seed Dice (the model run on every slice of {@code data}'s
 * {@code images/} and scored against {@code mask/}, per image then the mean, as the seed's
 * {@code dice_coef}); at least one of the two pairs, complete. {@code output} receives the LiTS
 * CSV when there is one; the seed Dice CSV ({@value SliceDiceEvaluator#CSV_HEADER}, a row per
 * slice, then {@code mean}) goes to {@code output} when it is the only result, else beside it as
 * {@code <output stem>-seed_dice.csv}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>UNet3+>UNet3+ Evaluate", headless = true)
public class EvaluateCommand extends UNet3pCommand {

	/** Suffix of the seed Dice CSV when {@code output} holds the LiTS metrics. */
	public static final String SEED_DICE_SUFFIX = "-seed_dice.csv";

	@Parameter(label = "Prediction (file or folder)", style = "both", required = false, description = "predicted label volumes (NIfTI); with truth", persist = false)
	File prediction;

	@Parameter(label = "Truth (file or folder)", style = "both", required = false, description = "reference label volumes, e.g. LiTS segmentation-N.nii", persist = false)
	File truth;

	@Parameter(label = "Metrics CSV (output)", style = "save", description = "case,dice,voe,rvd,assd_mm,mssd_mm,hd95_mm,note then a global row")
	File output;

	@Parameter(label = "Model for the recipe's Dice (bundle folder)", style = "directory", required = false, description = "with data: the recipe's slice-wise Dice", persist = false)
	File model;

	@Parameter(label = "Prepared slices for the recipe's Dice", style = "directory", required = false, description = "a folder with images/ and mask/ (UNet3+ Preprocess)", persist = false)
	File data;

	@Parameter(label = "Batch size for the recipe's Dice", min = "1", required = false)
	int batch = InferenceSettings.DEFAULT_BATCH;

	@Parameter(label = InferenceOptions.PRECISION_LABEL + " for the recipe's Dice", choices = { InferenceKeys.PRECISION_FP32, InferenceKeys.PRECISION_FP32_FOLDED, InferenceKeys.PRECISION_FP16 },
			required = false, description = InferenceOptions.PRECISION_DESCRIPTION)
	String precision = Precision.DEFAULT.key();

	@Parameter(label = InferenceOptions.ENGINE_LABEL + " for the recipe's Dice", choices = { InferenceKeys.ENGINE_AUTO, InferenceKeys.ENGINE_PYTORCH, InferenceKeys.ENGINE_ONNXRUNTIME }, required = false,
			description = InferenceOptions.ENGINE_DESCRIPTION)
	String engine = InferenceKeys.ENGINE_DEFAULT;

	@Parameter(label = "Structure", choices = { "liver", "tumour" }, required = false, description = "liver = every non-zero label; tumour = label 2")
	String label = LabelRule.DEFAULT.key();

	@Override
	protected void execute() throws Exception {
		final boolean lits = pair("prediction", prediction, "truth", truth);
		final boolean seed = pair("model", model, "data", data);
		if (!lits && !seed)
			throw new InvalidInputException(title() + " needs prediction and truth (LiTS metrics of label volumes), or model and data (the recipe's Dice on prepared slices), or both.");
		// NB: a precision this machine cannot run is refused before the LiTS metrics are written.
		if (seed) TorchProbabilityModel.requireRunnable(InferenceOptions.precision(precision));
		if (lits) litsMetrics();
		if (seed) seedDice(lits ? seedDiceFile(output.toPath()) : output.toPath());
	}

	/** Whether both keys of a pair are given; refuses one without the other. */
	private boolean pair(final String a, final File fa, final String b, final File fb) {
		if (fa != null && fb == null) throw new InvalidInputException(title() + ": " + a + " is given but " + b + " is not; give both, or neither.");
		if (fa == null && fb != null) throw new InvalidInputException(title() + ": " + b + " is given but " + a + " is not; give both, or neither.");
		return fa != null;
	}

	/** {@code <output stem>-seed_dice.csv} beside {@code output}. */
	static Path seedDiceFile(final Path output) {
		final String name = output.getFileName().toString();
		final String stem = name.toLowerCase(Locale.ROOT).endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
		return output.resolveSibling(stem + SEED_DICE_SUFFIX);
	}

	private void seedDice(final Path csv) throws Exception {
		final ProgressListener progress = progress();
		final SliceDiceEvaluator.Result r;
		try (BundleModel net = ProbabilityModels.open(model.toPath(), InferenceEngine.fromKey(engine), InferenceOptions.precision(precision), 0,
				progress()::message)) {
			r = SliceDiceEvaluator.evaluate(data.toPath(), net, net.preparation(), batch, progress, cancellation());
		}
		r.writeCsv(csv);
		progress.message(String.format(Locale.ROOT, "Seed Dice (slice-wise, mean over %d images) of %s on %s: %.5f", r.images(), model, data, r.meanDice()));
		progress.message("Seed Dice per slice written to " + csv);
	}

	private void litsMetrics() throws Exception {
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
