import base from "./index.js";

export default [...base, { ignores: ["test/fixtures/**"] }];
