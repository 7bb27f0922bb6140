package io.github.unet3p.fiji.command;

import java.awt.GraphicsEnvironment;

import org.scijava.ui.UIService;

import ij.measure.ResultsTable;
import io.github.unet3p.core.metrics.GlobalMetrics;
import io.github.unet3p.core.metrics.LitsMetric;

/** Shows evaluation results as an ImageJ results table when there is a display. */
final class ResultsTables {

	private ResultsTables() {}

	/** Fills the "UNet3+ Metrics" table (one row per case, then "global") and shows it. */
	static ResultsTable show(final GlobalMetrics metrics, final UIService ui) {
		final ResultsTable table = new ResultsTable();
		for (final GlobalMetrics.CaseResult r : metrics.cases()) {
			table.incrementCounter();
			table.addLabel(r.name());
			for (final LitsMetric m : LitsMetric.values())
				table.addValue(m.column(), m.of(r.metrics()));
		}
		table.incrementCounter();
		table.addLabel("global");
		for (final LitsMetric m : LitsMetric.values())
			table.addValue(m.column(), metrics.globalValue(m));
		if (!GraphicsEnvironment.isHeadless() && (ui == null || !ui.isHeadless())) table.show("UNet3+ Metrics");
		return table;
	}
}
