import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Draws deliveries/s and p99 latency against the number of connections, one line per peer,
 * from the load generator's JSON lines (median of the clean burst runs to everyone).
 *
 * <pre>java Chart.java out.png results/a.jsonl [results/b.jsonl ...]</pre>
 */
public class Chart {

	private static final Color[] COLORS = { new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C),
			new Color(0xFF7F0E), new Color(0x9467BD), new Color(0x8C564B), new Color(0xE377C2), new Color(0x7F7F7F) };

	public static void main(String[] args) throws IOException {
		if (args.length < 2) {
			System.err.println("usage: java Chart.java out.png results.jsonl...");
			System.exit(64);
		}
		Map<String, Map<Integer, List<double[]>>> runs = new TreeMap<>();
		for (int i = 1; i < args.length; i++) {
			for (String line : Files.readAllLines(Path.of(args[i]))) {
				if (!line.startsWith("{") || !"true".equals(field(line, "complete"))
						|| !"null".equals(field(line, "room")) || !"0".equals(field(line, "intervalMs"))) {
					continue;
				}
				String other = field(line, "otherCpuFrac");
				if (other != null && Double.parseDouble(other) > 0.15) {
					continue;
				}
				String label = field(line, "label").replace("\"", "");
				int clients = Integer.parseInt(field(line, "clients"));
				double rate = Double.parseDouble(field(line, "deliveriesPerSec"));
				double p99 = Double.parseDouble(field(line, "latP99ms"));
				runs.computeIfAbsent(label, (key) -> new TreeMap<>())
					.computeIfAbsent(clients, (key) -> new ArrayList<>())
					.add(new double[] { rate, p99 });
			}
		}
		BufferedImage image = new BufferedImage(1400, 620, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, image.getWidth(), image.getHeight());
		TreeSet<Integer> ns = new TreeSet<>();
		runs.values().forEach((byN) -> ns.addAll(byN.keySet()));
		panel(g, 60, 60, 600, 460, "Deliveries per second (burst, K=200, S=100 B)", runs, ns, 0, false);
		panel(g, 760, 60, 600, 460, "p99 delivery latency, ms (log scale)", runs, ns, 1, true);
		int x = 60;
		int index = 0;
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
		for (String label : runs.keySet()) {
			g.setColor(COLORS[index++ % COLORS.length]);
			g.fillRect(x, 580, 14, 14);
			g.setColor(Color.BLACK);
			g.drawString(label, x + 20, 592);
			x += 40 + g.getFontMetrics().stringWidth(label);
		}
		ImageIO.write(image, new File(args[0]));
		System.out.println("wrote " + args[0]);
	}

	private static void panel(Graphics2D g, int left, int top, int width, int height, String title,
			Map<String, Map<Integer, List<double[]>>> runs, TreeSet<Integer> ns, int metric, boolean log) {
		double max = 0;
		double min = Double.MAX_VALUE;
		for (Map<Integer, List<double[]>> byN : runs.values()) {
			for (List<double[]> list : byN.values()) {
				double value = median(list, metric);
				max = Math.max(max, value);
				min = Math.min(min, value);
			}
		}
		double low = log ? Math.pow(10, Math.floor(Math.log10(Math.max(min, 1)))) : 0;
		double high = log ? Math.pow(10, Math.ceil(Math.log10(Math.max(max, 10)))) : niceCeiling(max);
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
		g.drawString(title, left, top - 20);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		g.drawRect(left, top, width, height);
		for (int tick = 0; tick <= 5; tick++) {
			double value = log ? low * Math.pow(high / low, tick / 5.0) : high * tick / 5;
			int y = top + height - (int) (height * tick / 5.0);
			g.setColor(new Color(0xE0E0E0));
			g.drawLine(left + 1, y, left + width - 1, y);
			g.setColor(Color.BLACK);
			g.drawString(format(value), left - 55, y + 4);
		}
		List<Integer> xs = new ArrayList<>(ns);
		for (int i = 0; i < xs.size(); i++) {
			int x = xPosition(left, width, i, xs.size());
			g.drawString("N=" + xs.get(i), x - 20, top + height + 18);
		}
		int index = 0;
		for (Map<Integer, List<double[]>> byN : runs.values()) {
			g.setColor(COLORS[index++ % COLORS.length]);
			g.setStroke(new BasicStroke(2.5f));
			int previousX = -1;
			int previousY = -1;
			for (int i = 0; i < xs.size(); i++) {
				List<double[]> list = byN.get(xs.get(i));
				if (list == null) {
					continue;
				}
				double value = median(list, metric);
				double fraction = log ? Math.log(Math.max(value, low) / low) / Math.log(high / low) : value / high;
				int x = xPosition(left, width, i, xs.size());
				int y = top + height - (int) (height * fraction);
				g.fillOval(x - 5, y - 5, 10, 10);
				if (previousX >= 0) {
					g.drawLine(previousX, previousY, x, y);
				}
				previousX = x;
				previousY = y;
			}
		}
		g.setStroke(new BasicStroke(1f));
	}

	private static int xPosition(int left, int width, int index, int count) {
		return left + (int) (width * (index + 1.0) / (count + 1));
	}

	private static double median(List<double[]> list, int metric) {
		double[] values = list.stream().mapToDouble((run) -> run[metric]).sorted().toArray();
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	private static double niceCeiling(double value) {
		double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(value, 1))));
		return Math.ceil(value / magnitude) * magnitude;
	}

	private static String format(double value) {
		if (value >= 1000) {
			return String.format("%,.0f", value);
		}
		return (value >= 10) ? String.format("%.0f", value) : String.format("%.1f", value);
	}

	private static String field(String line, String name) {
		Matcher matcher = Pattern.compile("\"" + name + "\":(\"[^\"]*\"|[^,}]+)").matcher(line);
		return matcher.find() ? matcher.group(1) : null;
	}

	private static final class ImageIO {

		static void write(BufferedImage image, File file) throws IOException {
			javax.imageio.ImageIO.write(image, "png", file);
		}

	}

}
