package io.github.unet3p.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The core is a plain library: no class under {@code io.github.unet3p.core} refers to SciJava,
 * ImageJ 1.x, AWT, Swing or ImageIO. Checked on the compiled classes' constant pools, so imports,
 * fully-qualified names and signatures are all caught.
 */
class LayeringTest {

	private static final String[] FORBIDDEN = { "org/scijava/", "ij/", "java/awt/", "javax/swing/", "javax/imageio/" };

	@Test
	void coreRefersToNoFijiOrUiTypes() throws IOException {
		final Path core = Path.of("target/classes/io/github/unet3p/core");
		assertTrue(Files.isDirectory(core), "compiled core classes expected at " + core.toAbsolutePath());
		final List<String> offences = new ArrayList<>();
		try (Stream<Path> files = Files.walk(core)) {
			for (final Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator)
				for (final String s : utf8Constants(f))
					for (final String bad : FORBIDDEN)
						if (s.startsWith(bad) || s.contains("L" + bad) || s.contains("[" + bad)) offences.add(core.relativize(f) + " -> " + s);
		}
		assertTrue(offences.isEmpty(), "core must not depend on Fiji/UI types:\n" + String.join("\n", offences));
	}

	@Test
	void theScanSeesAForbiddenReference() throws IOException {
		final Path fiji = Path.of("target/classes/io/github/unet3p/fiji/launcher/MacroRunner.class");
		assertTrue(utf8Constants(fiji).stream().anyMatch(s -> s.startsWith("ij/")), "the scan must find ij/ references in a Fiji-side class");
	}

	/** Every CONSTANT_Utf8 string of a class file (class names, descriptors, signatures). */
	static List<String> utf8Constants(final Path classFile) throws IOException {
		final List<String> out = new ArrayList<>();
		try (InputStream raw = Files.newInputStream(classFile); DataInputStream in = new DataInputStream(raw)) {
			if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file: " + classFile);
			in.readUnsignedShort();
			in.readUnsignedShort();
			final int count = in.readUnsignedShort();
			for (int i = 1; i < count; i++) {
				final int tag = in.readUnsignedByte();
				switch (tag) {
					case 1: out.add(in.readUTF()); break;
					case 7: case 8: case 16: case 19: case 20: in.skipBytes(2); break;
					case 15: in.skipBytes(3); break;
					case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: in.skipBytes(4); break;
					case 5: case 6: in.skipBytes(8); i++; break;
					default: throw new IOException("unknown constant tag " + tag + " in " + classFile);
				}
			}
		}
		return out;
	}
}
