// Loaded by mocha after ts-node (see .mocharc.json).
import { skipPulumiStackCaptures } from "../components/testing";

skipPulumiStackCaptures();
