<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>EvaluationView</name>
    <message>
        <source>Train a model to see how it does on the test images.</source>
        <translation>训练一个模型，看看它在测试图片上的表现。</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>准确率（%）</translation>
    </message>
    <message>
        <source>Accuracy per class</source>
        <translation>各类别准确率</translation>
    </message>
    <message>
        <source>Rows: true class. Columns: predicted class.</source>
        <translation>行：真实类别。列：预测类别。</translation>
    </message>
    <message>
        <source>Confusion matrix (rows: truth, columns: prediction, numbered as the rows)</source>
        <translation>混淆矩阵（行：真实类别，列：预测类别，编号与行相同）</translation>
    </message>
    <message>
        <source>Only mistakes</source>
        <translation>只看错误</translation>
    </message>
    <message>
        <source>Predictions (truth → prediction, probability)</source>
        <translation>预测（真实 → 预测，概率）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Test accuracy: {accuracy:.1f} %&lt;/b&gt; on {count} images ({classes} classes, chance {chance:.0f} %)</source>
        <translation>&lt;b&gt;测试准确率：{accuracy:.1f} %&lt;/b&gt;，共 {count} 张图片（{classes} 个类别，随机猜测 {chance:.0f} %）</translation>
    </message>
    <message>
        <source>test image {index}: truth {truth}, predicted {guess} ({p:.1f} %)</source>
        <translation>测试图片 {index}：真实 {truth}，预测 {guess}（{p:.1f} %）</translation>
    </message>
</context>
</TS>
