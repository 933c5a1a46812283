import express from "express";
import rolesManager from "../roles/roles-manager";
import audit from "../roles/audit";

const router = express.Router();

router.get("/roles/:id", (req, res) => {
  rolesManager.watchRole(req.params.id);
  res.send("ok");
});

router.post("/audit/restart", (_req, res) => {
  audit.restart();
  res.send("ok");
});

export default router;
