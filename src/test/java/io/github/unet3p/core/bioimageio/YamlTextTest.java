package io.github.unet3p.core.bioimageio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** {@link YamlText}: what it writes, SnakeYAML (JDLL's reader, YAML 1.1) reads back as the same tree. */
class YamlTextTest {

	private static Object read(final String yaml) {
		return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
	}

	@Test
	void aTreeReadsBackUnchangedWithTextsThatLookLikeOtherTypes() {
		final Map<String, Object> root = new LinkedHashMap<>();
		root.put("format_version", "0.5.7");
		root.put("timestamp", "2026-12-08T03:30:00+00:00");
		root.put("yes", "yes");
		root.put("null_text", "null");
		root.put("number_text", "13");
		root.put("quote", "a \"b\" \\ c\nd\te");
		root.put("int", 13);
		root.put("long", 1L << 40);
		root.put("gain", 1.0 / 255.0);
		root.put("tiny", 1e-10);
		root.put("huge", 1e300);
		root.put("negative", -0.5);
		root.put("flag", false);
		root.put("empty_list", List.of());
		root.put("empty_map", Map.of());
		root.put("names", List.of("slice_k", "liver"));
		final Map<String, Object> axis = new LinkedHashMap<>();
		axis.put("type", "space");
		axis.put("id", "y");
		axis.put("size", 320);
		final Map<String, Object> nested = new LinkedHashMap<>();
		nested.put("axes", List.of(Map.of("type", "batch"), axis));
		nested.put("kwargs", Map.of("dtype", "float32"));
		root.put("inputs", List.of(nested, Map.of("id", "second")));
		final String yaml = YamlText.of(root);
		final Map<String, Object> expected = new LinkedHashMap<>(root);
		expected.put("long", 1L << 40);
		assertEquals(expected, read(yaml), yaml);
		assertEquals(1.0 / 255.0, ((Map<?, ?>) read(yaml)).get("gain"));
	}

	@Test
	void itIsBlockYamlNotJson() {
		final String yaml = YamlText.of(Map.of("a", List.of(Map.of("b", 1))));
		assertEquals("a:\n- b: 1\n", yaml);
	}

	@Test
	void refusesWhatItCannotWrite() {
		assertThrows(IllegalArgumentException.class, () -> YamlText.of(Map.of("not a key", 1)));
		assertThrows(IllegalArgumentException.class, () -> YamlText.of(Map.of("nan", Double.NaN)));
		assertThrows(IllegalArgumentException.class, () -> YamlText.of(Map.of("object", new Object())));
	}
}
