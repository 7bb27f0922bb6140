package io.github.unet3p.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.unet3p.core.util.InvalidInputException;

class MetricsCsvTest {

	@Test
	void rowsUseFixedDecimalsWhateverTheLocaleAndLeaveUndefinedValuesEmpty() {
		final Locale before = Locale.getDefault();
		final String csv;
		try {
			Locale.setDefault(Locale.GERMANY); // decimal comma
			csv = MetricsCsv.format(GlobalMetricsTest.threeCases());
		}
		finally {
			Locale.setDefault(before);
		}
		final List<String> lines = csv.lines().toList();
		assertEquals(5, lines.size());
		assertEquals("case,dice,voe,rvd,assd_mm,mssd_mm,hd95_mm,note", lines.get(0));
		assertEquals("shifted,0.666667,0.500000,0.000000,0.3846,1.0000,1.0000,", lines.get(1));
		assertEquals("missed,0.000000,1.000000,-1.000000,,,,prediction empty: dice 0; rvd -1; surface distances undefined", lines.get(2));
		assertEquals("empty,1.000000,0.000000,0.000000,0.0000,0.0000,0.0000,prediction and truth empty: counted as perfect (dice 1; distances 0)",
				lines.get(3));
		assertTrue(lines.get(4).startsWith("global,0.444444,0.500000,-0.333333,0.1923,0.5000,0.5000,dice = global Dice"), lines.get(4));
		assertTrue(lines.get(4).contains("mean Dice per case 0.555556"), lines.get(4));
		assertTrue(csv.endsWith("\n"));
	}

	@Test
	void truthEmptyLeavesRvdEmptyAndNamesAreQuotedWhenNeeded() {
		final GlobalMetrics g = new GlobalMetrics().add("a,\"b\"", new CaseMetrics(0, 5, 0, 5, 0, Double.NaN, Double.NaN, Double.NaN));
		final List<String> lines = MetricsCsv.format(g).lines().toList();
		assertEquals("\"a,\"\"b\"\"\",0.000000,1.000000,,,,,truth empty: dice 0; rvd and surface distances undefined", lines.get(1));
		assertTrue(lines.get(2).startsWith("global,0.000000,1.000000,,,,,"), lines.get(2));
	}

	@Test
	void writesTheWholeReport(@TempDir final Path dir) throws IOException {
		final Path target = dir.resolve("out/metrics.csv");
		final GlobalMetrics g = GlobalMetricsTest.threeCases();
		MetricsCsv.write(target, g);
		assertEquals(MetricsCsv.format(g), Files.readString(target, StandardCharsets.UTF_8));
		try (var files = Files.list(target.getParent())) {
			assertEquals(1, files.count(), "no temporary file left behind");
		}
	}

	@Test
	void unwritableTargetIsAUserErrorNamingTheFile(@TempDir final Path dir) throws IOException {
		final Path file = Files.writeString(dir.resolve("plain.txt"), "x");
		final Path target = file.resolve("metrics.csv");
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> MetricsCsv.write(target, GlobalMetricsTest.threeCases()));
		assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
	}

	@Test
	void consoleLinesFollowTheSameRules() {
		assertEquals("missed: dice 0.000000, voe 1.000000, rvd -1.000000, assd undefined, mssd undefined, hd95 undefined"
				+ " (prediction empty: dice 0; rvd -1; surface distances undefined)", MetricsText.line("missed", GlobalMetricsTest.MISSED));
		assertEquals("shifted: dice 0.666667, voe 0.500000, rvd 0.000000, assd 0.3846 mm, mssd 1.0000 mm, hd95 1.0000 mm",
				MetricsText.line("shifted", GlobalMetricsTest.SHIFTED));
		assertTrue(MetricsText.global(GlobalMetricsTest.threeCases()).startsWith("global: dice 0.444444, voe 0.500000"));
	}
}
