package io.github.unet3p.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFiles#deleteLeftovers}: only the temporary files of the named target go. */
class AtomicFilesTest {

	@TempDir
	Path tmp;

	@Test
	void leftoversOfOneTargetAreDeletedAndNothingElse() throws IOException {
		final Path target = tmp.resolve("seg-1.nii.gz");
		final List<String> kept = List.of(".seg-1.nii.gz.part", ".seg-10.nii.gz.77.part", ".seg-1.nii.gz.5.tmp", "seg-1.nii.gz", "seg-1.nii.gz.3.part");
		for (final String name : kept)
			Files.writeString(tmp.resolve(name), "x");
		Files.writeString(tmp.resolve(".seg-1.nii.gz.123.part"), "half");
		Files.writeString(tmp.resolve(".seg-1.nii.gz.9876543210.part"), "half");
		assertEquals(2, AtomicFiles.deleteLeftovers(target));
		try (Stream<Path> s = Files.list(tmp)) {
			assertEquals(kept.stream().sorted().toList(), s.map(p -> p.getFileName().toString()).sorted().toList());
		}
		assertEquals(0, AtomicFiles.deleteLeftovers(target));
		assertEquals(0, AtomicFiles.deleteLeftovers(tmp.resolve("missing/x.nii")), "no folder, nothing to delete");
	}

	@Test
	void aCompletedWriteLeavesNoTemporaryFile() throws IOException {
		final Path target = tmp.resolve("a.bin");
		AtomicFiles.write(target, new byte[] { 1, 2, 3 });
		try (Stream<Path> s = Files.list(tmp)) {
			assertEquals(List.of("a.bin"), s.map(p -> p.getFileName().toString()).toList());
		}
		assertEquals(0, AtomicFiles.deleteLeftovers(target));
	}
}
