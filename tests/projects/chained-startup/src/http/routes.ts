import express from "express";
import chatAuth from "../chat/chat-auth";

const router = express.Router();

router.post("/refresh", (req, res) => {
  chatAuth.refresh(String(req.body.token));
  res.send("ok");
});

export default router;
