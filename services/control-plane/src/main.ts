import { ConfigError, loadConfig } from "./config.js";
import { buildControlPlane } from "./server.js";

// Entry point: configuration from the environment, then serve until SIGTERM or SIGINT.
try {
  const config = loadConfig(process.env);
  const { app, generatedAdminToken } = await buildControlPlane(config);
  if (generatedAdminToken !== undefined) {
    // Written to the terminal once, never to the structured log.
    process.stdout.write(
      `\nBootstrap admin token (shown once; set PLUGBOARD_ADMIN_TOKEN to choose your own):\n  ${generatedAdminToken}\n\n`,
    );
  }
  await app.listen({ port: config.port, host: config.host });
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
}
